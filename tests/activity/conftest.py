# The whole demo, loaded once for this folder's tests as the pages' tests load it.
from tests.pages.conftest import demo  # noqa: F401
