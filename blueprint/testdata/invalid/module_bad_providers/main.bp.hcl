module "db" {
  source    = "./db"
  providers = local.east # ERROR: Invalid expression
}
