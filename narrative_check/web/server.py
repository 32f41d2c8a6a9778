"""Running the page on uvicorn: the socket bound here first, so a port in use is one line, not a log."""

from __future__ import annotations

import errno
import ipaddress
import socket

from ..errors import InputError, InputErrorCode

# Past this many seconds after Ctrl-C, checks still running are abandoned and the server stops.
SHUTDOWN_GRACE = 3.0


# The names a browser on this computer reaches a loopback server by.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]", "::1")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A TCP socket listening on (host, port); InputError (E021) naming the address when it cannot be."""
    host = host.strip("[]")
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(InputErrorCode.BAD_OPTION, f"--host {host}: {getattr(exc, 'strerror', None) or exc}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart need not wait out TIME_WAIT
        sock.bind(address)
        sock.listen(128)  # connecting works from now on: the address can be announced before uvicorn starts
    except OSError as exc:
        sock.close()
        reason = exc.strerror or str(exc)
        hint = " (another server is using it: choose another with --port)" if exc.errno == errno.EADDRINUSE else ""
        raise InputError(InputErrorCode.BAD_OPTION, f"cannot listen on {url(host, port)}: {reason}{hint}") from None
    sock.set_inheritable(True)
    return sock


def url(host: str, port: int) -> str:
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def make_server(app, *, log_level: str = "warning"):
    """A uvicorn server for `app` that stops within SHUTDOWN_GRACE seconds of Ctrl-C."""
    import uvicorn

    config = uvicorn.Config(app, log_level=log_level, lifespan="off", timeout_graceful_shutdown=SHUTDOWN_GRACE,
                            server_header=False)
    return uvicorn.Server(config)


def run(app, sock: socket.socket) -> None:
    """Serve until Ctrl-C (or SIGTERM); returns normally after Ctrl-C."""
    server = make_server(app)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn raises the signal again once it has shut down
        pass
    finally:
        sock.close()
