#!/bin/sh
# Stand-in for C8 Run's shutdown.sh (see ../standin.py).
exec "${STANDIN_PYTHON:-python3}" "${STANDIN_HOME:?}/standin.py" c8run stop "$@"
