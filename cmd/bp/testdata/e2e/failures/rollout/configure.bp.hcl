configure "web" {
  hosts = resource.machine.web
  roles = [role.site]
  rollout { max_parallel = 1 }
}
