"""All models, imported here so that Alembic and create_all see every table."""

from server.models import funding, targets  # noqa: E402,F401  (web side: targets and funding tables)
from server.models.boundaries import UnitBoundary
from server.models.forms import Form, FormDraft, FormMedia
from server.models.houses import House, HouseEvent
from server.models.org_units import OrgUnit, Reorganisation, UnitLineage, UnitSuccession
from server.models.submissions import Attachment, Submission, SubmissionSignal
from server.models.uploads import UploadPart
from server.models.users import DeviceToken, EnrolmentCode, LoginFailure, LoginThrottle, User, WebSession

__all__ = ["Attachment", "DeviceToken", "EnrolmentCode", "Form", "FormDraft", "FormMedia", "House", "HouseEvent",
           "LoginFailure", "LoginThrottle", "OrgUnit", "Reorganisation", "Submission", "SubmissionSignal", "UnitBoundary",
           "UnitLineage",
           "UnitSuccession", "UploadPart", "User", "WebSession"]
