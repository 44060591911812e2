"""Pictor for Krita: gpt-image-2 and its gateways in a docker, and pictor_krita.scripting for
scripts. Krita imports this package when the plug-in is enabled (Settings > Configure Krita >
Python Plugin Manager); the docker is registered only when Krita's GUI runs, so scripts
(Scripter, kritarunner) can import pictor_krita.scripting without side effects."""

import os


def _krita_gui_running():
    try:
        from PyQt5.QtWidgets import QApplication
        import krita  # noqa: F401 - only inside Krita
    except ImportError:
        return False
    app = QApplication.instance()
    # kritarunner runs Python without Krita's windows: no docker there.
    return app is not None and os.path.basename(app.applicationFilePath()) != "kritarunner"


_registered = False


def _register_docker():
    global _registered
    if _registered or not _krita_gui_running():
        return
    import krita
    from .docker import PictorDocker, DOCKER_ID
    krita.Krita.instance().addDockWidgetFactory(
        krita.DockWidgetFactory(DOCKER_ID, krita.DockWidgetFactoryBase.DockRight, PictorDocker))
    _registered = True


_register_docker()
