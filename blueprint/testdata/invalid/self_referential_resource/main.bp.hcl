resource "machine" "web" {
  labels = { peer = resource.machine.web.address } # ERROR: Self-referential block
}
