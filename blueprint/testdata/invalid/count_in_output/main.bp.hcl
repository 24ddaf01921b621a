output "idx" {
  value = count.index # ERROR: Reference to "count" in non-counted context
}
module "web" {
  source = "./web"
  count  = 2
  name   = "web-${count.index}"
  zone   = each.value # ERROR: Reference to "each" in context without for_each
}
