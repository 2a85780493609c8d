"""All models, imported here so that Alembic and create_all see every table."""

from server.models import funding, targets  # noqa: E402,F401  (web side: targets and funding tables)
from server.models.forms import Form, FormDraft
from server.models.houses import House, HouseEvent
from server.models.org_units import OrgUnit
from server.models.submissions import Attachment, Submission, SubmissionSignal
from server.models.uploads import UploadPart
from server.models.users import DeviceToken, LoginFailure, LoginThrottle, User, WebSession

__all__ = ["Attachment", "DeviceToken", "Form", "FormDraft", "House", "HouseEvent", "LoginFailure", "LoginThrottle", "OrgUnit",
           "Submission", "SubmissionSignal", "UploadPart", "User", "WebSession"]
