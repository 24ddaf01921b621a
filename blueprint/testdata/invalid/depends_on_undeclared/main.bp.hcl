resource "machine" "db" {}
module "cache" {
  source = "./cache"
}
configure "db" {
  hosts = resource.machine.db
  roles = []
}
resource "machine" "web" {
  depends_on = [
    resource.machine.bd, # ERROR: Invalid depends_on reference
    module.cahce,        # ERROR: Invalid depends_on reference
    var.x,               # ERROR: Invalid address
    machine.db.address,  # ERROR: Invalid address
    configure.bd,        # ERROR: Invalid depends_on reference
    configure.db[0],     # ERROR: Invalid address
    configure.db,
  ]
}
