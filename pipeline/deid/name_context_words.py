"""Dutch words that introduce a person: "mijn dochter ...", "mijn ex ..."."""

KINSHIP = (
    "dochter|zoon|moeder|vader|broer|zus|zusje|broertje|man|vrouw|vriend|vriendin|ex|partner|baas|"
    "buurvrouw|buurman|oom|tante|opa|oma|nicht|neef|nichtje|neefje|schoonzus|schoonzoon|schoondochter|"
    "schoonmoeder|schoonvader|zwager|stiefvader|stiefmoeder|collega|jongste|oudste|kleinzoon|kleindochter|vriendje|vriendinnetje"
)
