# A role with every host resource kind. Each resource changes something on
# a fresh machine, and nothing on the next run.

# download_url is served by the test process; download_sha256 is its
# content's digest.
variable "download_url" { type = string }
variable "download_sha256" { type = string }
# apt_key signs apt_inrelease, the InRelease file of a repository the role
# writes under /srv/apt.
variable "apt_key" { type = string }
variable "apt_inrelease" { type = string }

role "kinds" {
  group "bpdemo" { gid = 2345 }
  user "bpdemo" {
    uid                 = 2345
    groups              = ["bpdemo"]
    shell               = "/bin/sh"
    home                = "/home/bpdemo"
    ssh_authorized_keys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH6GLaQ6WjpWDGz+E8YOwOQk2wq0mBDcgMsYQf21Ei0j bpdemo@e2e"]
  }
  directory "/srv/demo" {
    owner = "bpdemo"
    group = "bpdemo"
    mode  = "0750"
  }
  file "/srv/demo/motd" {
    content = "managed by bp\n"
    mode    = "0640"
  }
  template "/srv/demo/host.txt" {
    source = "templates/host.txt.tpl"
    vars   = { who = "every kind" }
  }
  link "/srv/demo/current" {
    target = "/srv/demo/host.txt"
  }
  line "banner" {
    path   = "/etc/bp-demo.conf"
    line   = "banner = on"
    create = true
  }
  cron "bp-demo" {
    schedule = "*/5 * * * *"
    command  = "true"
    user     = "bpdemo"
  }
  file "/etc/systemd/system/bp-demo.service" {
    content = "[Unit]\nDescription=bp end-to-end demo\n[Service]\nExecStart=/bin/sleep infinity\n[Install]\nWantedBy=multi-user.target\n"
  }
  service "bp-demo" {
    state   = "running"
    enabled = true
  }
  package "git" {}
  exec "seed-repo" {
    command = <<-SH
      set -e
      mkdir -p /srv/git /tmp/seed
      cd /tmp/seed
      git init -q
      echo "seeded by exec" > README
      git add README
      git -c user.name=bp -c user.email=bp@example.test commit -q -m seed
      git clone -q --bare /tmp/seed /srv/git/demo.git
      rm -rf /tmp/seed
      echo "seeded /srv/git/demo.git"
    SH
    creates = "/srv/git/demo.git"
  }
  git "/srv/demo/checkout" {
    repository = "/srv/git/demo.git"
  }
  download "/srv/demo/blob.bin" {
    url    = var.download_url
    sha256 = var.download_sha256
  }
  directory "apt-packages" {
    path      = "/srv/apt/dists/bpdemo/main/binary-${host.facts.arch}"
    recursive = true
  }
  file "/srv/apt/dists/bpdemo/InRelease" {
    content = var.apt_inrelease
  }
  file "apt-packages-index" {
    path    = "/srv/apt/dists/bpdemo/main/binary-${host.facts.arch}/Packages"
    content = ""
  }
  apt_repository "bpdemo" {
    uri   = "file:/srv/apt"
    suite = "bpdemo"
    key   = var.apt_key
  }
}

configure "box" {
  hosts = [resource.machine.box]
  roles = [role.kinds]
}
