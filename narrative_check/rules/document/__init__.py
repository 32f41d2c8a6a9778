"""Document rules (DOC): what a disclosure must contain and how it is put together."""

from . import DOC001  # noqa: F401
from . import DOC002  # noqa: F401
from . import DOC003  # noqa: F401
from . import DOC007  # noqa: F401
from . import DOC008  # noqa: F401
from . import DOC004  # noqa: F401
from . import DOC005  # noqa: F401
from . import DOC006  # noqa: F401
