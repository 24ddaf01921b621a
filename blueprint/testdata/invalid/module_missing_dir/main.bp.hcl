module "db" {
  source = "./modules/db" # ERROR: Module not found
}
