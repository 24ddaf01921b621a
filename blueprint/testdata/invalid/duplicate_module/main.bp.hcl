module "db" { source = "./db" }
module "db" { source = "./db" } # ERROR: Duplicate module call
