module "web" {
  source = "./web"
}
