"""``vg users``: create accounts and personal API tokens for the web app."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cli.common import app_sessions, console, handle_errors

app = typer.Typer(help="Gebruikers van de webapp: aanmaken en persoonlijke API-tokens.", no_args_is_help=True)
ROLES = ("beheerder", "gespreksvoerder", "huisarts", "werkgroep")


def _sessions():  # noqa: ANN202
    return app_sessions()


@app.command("create")
@handle_errors
def create(
    name: Annotated[str, typer.Argument(help="Gebruikersnaam (letters, cijfers, . _ -).")],
    role: Annotated[str, typer.Option("--role", help="beheerder, gespreksvoerder, huisarts of werkgroep.")],
    display_name: Annotated[str, typer.Option("--naam", help="Naam zoals anderen die zien.")] = "",
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Lees het wachtwoord van standaardinvoer.")] = False,
) -> None:
    """Maak een account aan (bijvoorbeeld de eerste beheerder)."""
    from sqlalchemy import select

    from service.db import User
    from service.security import hash_password

    if role not in ROLES:
        console.print(f"[red]Onbekende rol {role}.[/red] Kies uit: {', '.join(ROLES)}.")
        raise typer.Exit(2)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Wachtwoord", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        console.print("[red]Het wachtwoord moet minstens 10 tekens lang zijn.[/red]")
        raise typer.Exit(2)
    with _sessions()() as db:
        if db.scalar(select(User).where(User.name == name)) is not None:
            console.print(f"[red]Gebruiker {name} bestaat al.[/red]")
            raise typer.Exit(2)
        db.add(User(name=name, display_name=display_name or name, role=role, password_hash=hash_password(password)))
        db.commit()
    console.print(f"Gebruiker {name} ({role}) aangemaakt.")


@app.command("token")
@handle_errors
def token(name: Annotated[str, typer.Argument(help="Gebruikersnaam.")]) -> None:
    """Maak een nieuw persoonlijk API-token (vervangt het oude; wordt één keer getoond)."""
    from sqlalchemy import select

    from service.db import User
    from service.security import new_api_token

    with _sessions()() as db:
        user = db.scalar(select(User).where(User.name == name))
        if user is None:
            console.print(f"[red]Onbekende gebruiker {name}.[/red]")
            raise typer.Exit(2)
        value = new_api_token(db, user)
    typer.echo(value)
    console.print("Bewaar dit token nu: het wordt niet nog eens getoond. Gebruik: Authorization: Bearer <token>", style="dim")
