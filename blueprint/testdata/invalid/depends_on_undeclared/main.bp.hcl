resource "machine" "db" {}
module "cache" {
  source = "./cache"
}
resource "machine" "web" {
  depends_on = [
    resource.machine.bd, # ERROR: Invalid depends_on reference
    module.cahce,        # ERROR: Invalid depends_on reference
    var.x,               # ERROR: Invalid address
    machine.db.address,  # ERROR: Invalid address
  ]
}
