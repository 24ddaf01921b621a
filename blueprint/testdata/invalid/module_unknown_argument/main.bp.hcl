module "db" {
  source = "./db"
  size   = "large"
  sise   = "small" # ERROR: Unsupported argument
}
