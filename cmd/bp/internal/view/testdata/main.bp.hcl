resource "machine" "web" {
  image = "debian-12"
  size  = "small"
}

resource "machine" "web" {
  count = var.web_count
  labels = {
    tier = "web"
    role = "front"
  }
}

role "app" {
	package "nginx" {}
	service "nginx" { state = "runing" }
}

output "greeting" { value = "héllo ${local.naem}" }
