resource "machine" "web" {}
import {
  to = machine.web
  id = "i-1"
}
import {
  to = resource.machine.web # ERROR: Duplicate import
  id = "i-2"
}
