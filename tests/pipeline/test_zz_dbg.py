from tests.pipeline.test_runner import *
def test_dbg(backends, transcript_file, tmp_path):
    out = tmp_path / "out"
    a = run_pipeline(transcript_file, out, case=CASE, backends=backends)
    b = run_pipeline(transcript_file, out, case=CASE, backends=backends)
    print({s.stage: s.reused for s in b.stages})
    print(a.cache_keys); print(b.cache_keys)
    from pipeline.stage_options import build_stage_options, ProcessOptions
    o1 = build_stage_options(backends.settings, ProcessOptions())
    print(o1.kaart.model_dump_json())
    assert 0
