module "db" {
  source  = "./db"
  version = "1.0" # ERROR: Unsupported argument
}
