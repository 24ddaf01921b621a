resource "machine" "web" {
  count = 2
}
resource "machine" "db" {}
output "web" {
  value = machine.web.address # ERROR: Missing resource instance key
}
output "db" {
  value = resource.machine.db[0].address # ERROR: Unexpected resource instance key
}
output "fine" {
  value = [machine.web[0].address, machine.web[*].address, machine.db.address, length(machine.web)]
}
