import {
  to = resource.machine.web # ERROR: Import to undeclared resource
  id = "i-123"
}
