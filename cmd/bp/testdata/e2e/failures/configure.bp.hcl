configure "web" {
  hosts = resource.machine.web
  roles = [role.site]
}
