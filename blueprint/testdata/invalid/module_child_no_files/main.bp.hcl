module "db" {
  source = "./db" # ERROR: No blueprint files
}
