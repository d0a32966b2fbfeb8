#!/bin/sh
# Stand-in for C8 Run's start.sh (see ../standin.py); the test copies it into a fake C8 Run folder.
exec "${STANDIN_PYTHON:-python3}" "${STANDIN_HOME:?}/standin.py" c8run start "$@"
