module "db" {
  source = "./db"
}
output "db" {
  value = module.db.adress # ERROR: Unsupported attribute
}
