"""Checks, before the production profile starts Rasa, everything that would otherwise fail late
or silently: the model archive, the API's authentication, PostgreSQL and Redis. Prints every
problem in one clear line each and exits 1 if there is any. With PostgreSQL answering, it
creates the conversation table if it is missing (once, before several workers would race to).

Reads the settings scripts/production.sh exports (see .env.example).
"""
import json
import os
import sys
import tarfile
import urllib.request
from pathlib import Path


def check_model(path: Path) -> list:
    if not path.exists():
        return [f"The model {path} does not exist: train one with `make train` or set RASA_MODEL."]
    if not path.is_file() or not os.access(path, os.R_OK):
        return [f"The model {path} is not a readable file."]
    try:
        with tarfile.open(path, "r:gz") as archive:
            names = set()
            metadata = None
            for member in archive:  # reads the whole archive, so a truncated one is found
                name = member.name.lstrip("/")
                names.add(name)
                if name == "metadata.json":
                    metadata = json.load(archive.extractfile(member))
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        return [f"The model {path} is not a readable model archive (.tar.gz): {error}. Train it again with `make train`."]
    if metadata is None or not any(n.startswith("components/") for n in names):
        return [f"The model {path} is a .tar.gz but not a Rasa model (no metadata.json or components). Train it again with `make train`."]
    return []


def check_auth() -> list:
    if os.environ.get("RASA_API_TOKEN") or os.environ.get("JWT_SECRET"):
        return []
    return ["The HTTP API needs RASA_API_TOKEN or JWT_SECRET (or both): set one; it is never opened without."]


def check_postgresql() -> list:
    import psycopg2
    from sqlalchemy import create_engine
    from sqlalchemy.engine.url import URL

    host, port, name = os.environ["DB_HOST"], os.environ["DB_PORT"], os.environ["DB_NAME"]
    user, password = os.environ["DB_USER"], os.environ["DB_PASSWORD"]
    try:
        psycopg2.connect(host=host, port=port, dbname=name, user=user, password=password, connect_timeout=5).close()
    except psycopg2.OperationalError as error:
        reason = " ".join(str(error).split()).rstrip(".?")
        if f'database "{name}" does not exist' in reason:
            return [f"PostgreSQL at {host}:{port} answers, but the database {name} does not exist: "
                    f"create it (createdb -h {host} -p {port} -O {user} {name}) or set DB_NAME."]
        return [f"PostgreSQL at {host}:{port} (database {name}, user {user}) does not answer: {reason}. "
                "Start it, or set DB_HOST, DB_PORT, DB_USER, DB_PASSWORD."]
    # The table Rasa's SQL tracker store keeps conversations in, from Rasa's own definition.
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    from rasa.core.tracker_store import SQLTrackerStore

    from sqlalchemy.exc import IntegrityError, ProgrammingError

    engine = create_engine(URL.create("postgresql", user, password or None, host, int(port), name))
    try:
        SQLTrackerStore.Base.metadata.create_all(engine)
    except (IntegrityError, ProgrammingError):
        # Another server created it at the same moment; now it exists.
        SQLTrackerStore.Base.metadata.create_all(engine)
    finally:
        engine.dispose()
    return []


def check_redis() -> list:
    import redis

    host, port, db = os.environ["REDIS_HOST"], os.environ["REDIS_PORT"], os.environ["REDIS_DB"]
    try:
        redis.Redis(host=host, port=int(port), db=int(db), password=os.environ["REDIS_PASSWORD"] or None,
                    socket_timeout=5, socket_connect_timeout=5).ping()
    except redis.AuthenticationError as error:
        return [f"Redis at {host}:{port} refused the password: {error}. Set REDIS_PASSWORD."]
    except redis.RedisError as error:
        return [f"Redis at {host}:{port} (db {db}) does not answer: {str(error).rstrip('.')}. Start it, or set REDIS_HOST, REDIS_PORT."]
    return []


def warn_about_action_server() -> None:
    url = os.environ["ACTION_SERVER_URL"].rsplit("/webhook", 1)[0] + "/health"
    try:
        urllib.request.urlopen(url, timeout=5).close()
    except OSError:
        print(f"warning: the action server does not answer at {url} yet; until it does, "
              "answers that need it ask the user to try again.", file=sys.stderr)


def main(mode: str) -> int:
    problems = check_model(Path(os.environ["RASA_MODEL"])) + check_auth() + check_postgresql() + check_redis()
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    if mode == "rasa":
        warn_about_action_server()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "all"))
