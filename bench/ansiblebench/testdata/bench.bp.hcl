role "bench" {
  directory "/srv/bench/d00" {
    recursive = true
    owner     = "root"
    group     = "root"
    mode      = "0755"
  }
  directory "/srv/bench/d01" {
    recursive = true
    owner     = "root"
    group     = "root"
    mode      = "0755"
  }
  file "/srv/bench/d00/f000.txt" {
    content = "# bench file 000\nvalue = 0\nname = file-000\n"
    owner   = "root"
    group   = "root"
    mode    = "0644"
  }
  file "/srv/bench/d01/f001.txt" {
    content = "# bench file 001\nvalue = 7\nname = file-001\n"
    owner   = "root"
    group   = "root"
    mode    = "0640"
  }
  file "/srv/bench/d00/f002.txt" {
    content = "# bench file 002\nvalue = 14\nname = file-002\n"
    owner   = "root"
    group   = "root"
    mode    = "0600"
  }
  template "/srv/bench/d00/t000.conf" {
    source = "templates/bench.conf.tpl"
    vars   = { label = "t000", number = 0 }
    owner  = "root"
    group  = "root"
    mode   = "0644"
  }
  template "/srv/bench/d01/t001.conf" {
    source = "templates/bench.conf.tpl"
    vars   = { label = "t001", number = 3 }
    owner  = "root"
    group  = "root"
    mode   = "0640"
  }
  line "l000" {
    path = "/etc/bench/lines-00.conf"
    line = "key000 = value000"
  }
  line "l001" {
    path = "/etc/bench/lines-00.conf"
    line = "key001 = value001"
  }
  line "l002" {
    path = "/etc/bench/lines-01.conf"
    line = "key002 = value002"
  }
  package "python3" {}
  package "bash" {}
  service "bench-svc-00" {
    state   = "running"
    enabled = true
  }
}
