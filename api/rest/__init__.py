"""REST endpoints: each module exposes ``router: APIRouter``."""
