variable "web_count" {
  default = 2
}
resource "machine" "web" {
  count = var.web_cuont # ERROR: Reference to undeclared input variable
}
