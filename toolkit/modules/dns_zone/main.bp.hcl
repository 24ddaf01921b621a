# The self-hosted dns_zone: a PowerDNS authoritative server (sqlite3 backend,
# HTTP API, LUA records) on one machine, and the zone on it, created through
# the API by the powerdns provider. bp embeds this module and calls it for a
# dns_zone resource whose provider has no native one; its variables are the
# resource's arguments.

variable "realization_name" {
  type        = string
  description = "The resource's name (\"main\", or \"main-0\" for counted instances); names the machine."
}

variable "name" {
  type        = string
  description = "The zone's domain, such as \"example.test\"."
  validation {
    condition     = can(regex("^([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\\.)*[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\\.?$", var.name))
    error_message = "The zone name must be a domain such as \"example.test\": labels of letters, digits and dashes, separated by dots."
  }
}

variable "nameservers" {
  type        = list(string)
  default     = null
  description = "Host names of the zone's name servers; default [\"ns1.ZONE\"]."
}

locals {
  zone = trimsuffix(lower(var.name), ".")
  nameservers = try(length(var.nameservers), 0) > 0 ? [for ns in var.nameservers : trimsuffix(lower(ns), ".")] : ["ns1.${local.zone}"]
  # Name servers inside the zone need an address record there (glue), by
  # their name relative to the zone.
  glue = { for ns in local.nameservers : trimsuffix(ns, ".${local.zone}") => ns if endswith(ns, ".${local.zone}") }
  # A host name: lower-case letters, digits and dashes.
  machine_name = substr(trim(replace(lower("dns-${var.realization_name}"), "/[^a-z0-9-]+/", "-"), "-"), 0, 63)
  api_port     = 8081
  api_url      = "http://${resource.machine.dns.address}:${local.api_port}"
}

resource "machine" "dns" {
  name   = local.machine_name
  image  = "debian-12"
  size   = "small"
  labels = { "bp.toolkit" = "dns_zone", "bp.realization" = var.realization_name }
}

# The API key; only bp and the server know it.
resource "std_random" "api_key" {
  length = 32
}

role "powerdns" {
  package "pdns-server" {}
  package "pdns-backend-sqlite3" {}
  package "sqlite3" {}
  # Debian's package starts with the bind backend; this server keeps its
  # zones in sqlite3 instead.
  file "/etc/powerdns/pdns.d/bind.conf" {
    state  = "absent"
    notify = [service.pdns]
  }
  directory "/var/lib/powerdns" {
    owner = "pdns"
    group = "pdns"
    mode  = "0755"
  }
  # Created under a temporary name and renamed, so that a failed run does
  # not leave a half-made database that `creates` would then accept.
  exec "create the zone database" {
    command = <<-EOT
      set -e
      tmp=$(mktemp /var/lib/powerdns/.pdns.sqlite3.XXXXXX)
      sqlite3 "$tmp" < /usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
      chown pdns:pdns "$tmp"
      chmod 0640 "$tmp"
      mv "$tmp" /var/lib/powerdns/pdns.sqlite3
    EOT
    creates = "/var/lib/powerdns/pdns.sqlite3"
  }
  template "/etc/powerdns/pdns.d/bp.conf" {
    source = "bp.conf.tpl"
    vars = {
      name     = var.realization_name
      api_key  = resource.std_random.api_key.result
      api_port = local.api_port
    }
    owner  = "root"
    group  = "pdns"
    mode   = "0640"
    notify = [service.pdns]
  }
  service "pdns" {
    state   = "running"
    enabled = true
  }
}

configure "dns" {
  hosts = [resource.machine.dns]
  roles = [role.powerdns]
}

resource "dns_zone" "this" {
  provider    = powerdns
  api_url     = local.api_url
  api_key     = resource.std_random.api_key.result
  name        = local.zone
  nameservers = local.nameservers
  # The API answers once the server is configured and running.
  depends_on = [configure.dns]
}

resource "dns_record" "glue" {
  for_each = local.glue
  provider = powerdns
  api_url  = local.api_url
  api_key  = resource.std_random.api_key.result
  zone     = resource.dns_zone.this.name
  name     = each.key
  type     = "A"
  records  = [resource.machine.dns.address]
}

# name and server come from the zone resource, so that what refers to them
# (the self-hosted dns_record) waits until the zone exists.
output "name" { value = resource.dns_zone.this.name }
output "nameservers" { value = local.nameservers }
output "fqdn" {
  value       = "${local.zone}."
  description = "The zone's absolute name."
}
output "address" {
  value       = resource.machine.dns.address
  description = "The address of the zone's DNS server (dig @ADDRESS)."
}
output "server" {
  value       = { api_url = resource.dns_zone.this.api_url, api_key = resource.dns_zone.this.api_key }
  sensitive   = true
  description = "The PowerDNS API of the zone's server, for the self-hosted dns_record."
}
