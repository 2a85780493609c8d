"""Pick the camera and location devices at start-up: plyer on Android, file chooser / typed on desktop."""

from dataclasses import dataclass

from kivy.utils import platform


@dataclass
class Devices:
    camera: object          # mobile.core.devices.Camera
    location: object | None  # mobile.core.devices.LocationProvider, None = no GPS (desktop)
    has_camera: bool        # True: "Take a photo"; False: "Choose a photo"


def choose_devices() -> Devices:
    if platform == "android":
        from mobile.ui.devices.android import AndroidCamera, AndroidLocation

        return Devices(AndroidCamera(), AndroidLocation(), True)
    from mobile.core.devices import FileCamera
    from mobile.ui.devices.desktop import choose_photo

    return Devices(FileCamera(choose_photo), None, False)
