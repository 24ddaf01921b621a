module "db" {
  source = "./db"
}
