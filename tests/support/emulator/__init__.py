# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An emulator of the Camunda 8 Orchestration Cluster REST API (`/v2`), written from its documented contract.

    from emulator import EmulatorServer
    with EmulatorServer(auth='basic') as server:
        requests.get(server.url + '/v2/topology', auth=('demo', 'demo'))
        server.admin.set_faults(dead=[(1, 0)])

See tests/support/README.md for the admin interface and the fault names.
"""

from .admin import EmulatorAdmin, EmulatorAdminError
from .app import EmulatorApp
from .faults import PARSERS as _FAULT_PARSERS
from .server import EmulatorServer

FAULT_NAMES = tuple(sorted(_FAULT_PARSERS))

__all__ = ['EmulatorServer', 'EmulatorAdmin', 'EmulatorAdminError', 'EmulatorApp', 'FAULT_NAMES']
