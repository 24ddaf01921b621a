module "db" { # ERROR: Missing required argument
  source = "./db"
}
