"""Android camera and GPS through plyer (only imported when kivy.utils.platform == 'android').

Not runnable on the build machines: see docs/android.md for what was verified.
"""

import math
import time
from pathlib import Path

from kivy.clock import mainthread

from mobile.core.location import GpsFix


def _request(*names):
    try:
        from android.permissions import Permission, request_permissions  # type: ignore[import-not-found]
    except ImportError:
        return
    request_permissions([getattr(Permission, n) for n in names])


def _allow_file_uris():
    """plyer passes a file:// URI to the camera app; Android 7+ refuses it unless the VM policy is relaxed."""
    try:
        from jnius import autoclass  # type: ignore[import-not-found]
    except ImportError:
        return
    strict_mode = autoclass("android.os.StrictMode")
    builder = autoclass("android.os.StrictMode$VmPolicy$Builder")
    strict_mode.setVmPolicy(builder().build())


class AndroidCamera:
    """plyer.camera: the system camera app writes a JPEG to the path we give it."""

    def __init__(self):
        self._ready = False

    def take_photo(self, dest_dir: Path, on_done) -> None:
        from plyer import camera

        if not self._ready:
            _request("CAMERA")
            _allow_file_uris()
            self._ready = True
        dest_dir = Path(dest_dir)
        dest_dir.mkdir(parents=True, exist_ok=True)
        target = dest_dir / f"capture-{int(time.time() * 1000)}.jpg"

        @mainthread
        def done(path):
            exists = path and Path(path).exists() and Path(path).stat().st_size > 0
            on_done(Path(path) if exists else None)
            return False

        try:
            camera.take_picture(filename=str(target), on_complete=done)
        except NotImplementedError:
            on_done(None)


class AndroidLocation:
    """plyer.gps: fixes arrive on the GPS thread; they are handed to the UI on its main loop."""

    def __init__(self, min_time_ms: int = 1000, min_distance_m: float = 0):
        self.min_time_ms = min_time_ms
        self.min_distance_m = min_distance_m
        self._on_fix = None
        self._configured = False

    def start(self, on_fix) -> None:
        from plyer import gps

        self._on_fix = on_fix
        _request("ACCESS_FINE_LOCATION", "ACCESS_COARSE_LOCATION")
        if not self._configured:
            gps.configure(on_location=self._location, on_status=self._status)
            self._configured = True
        gps.start(minTime=self.min_time_ms, minDistance=self.min_distance_m)

    def stop(self) -> None:
        from plyer import gps

        self._on_fix = None
        gps.stop()

    @mainthread
    def _location(self, **kwargs):
        if self._on_fix is None:
            return
        accuracy = kwargs.get("accuracy")
        fix = GpsFix(
            float(kwargs["lat"]),
            float(kwargs["lon"]),
            float(kwargs.get("altitude") or 0.0),
            float(accuracy) if accuracy is not None else math.inf,
        )
        self._on_fix(fix)

    def _status(self, stype, status):
        pass


SERVICE = "vn.cuuchienbinh.quangnam.maiam.ServiceSync"  # package.domain + package.name + Service<Name>


def start_sync_service(data_dir) -> None:
    """The app goes to the background (or closes): the service `Sync` (mobile/background.py) keeps the
    auto-sync loop running; its argument is the app's data folder."""
    import json

    from jnius import autoclass  # type: ignore[import-not-found]

    activity = autoclass("org.kivy.android.PythonActivity").mActivity
    autoclass(SERVICE).start(activity, json.dumps({"data": str(data_dir)}))


def stop_sync_service() -> None:
    """The app is open again: it syncs by itself, the service stops."""
    from jnius import autoclass  # type: ignore[import-not-found]

    activity = autoclass("org.kivy.android.PythonActivity").mActivity
    autoclass(SERVICE).stop(activity)
