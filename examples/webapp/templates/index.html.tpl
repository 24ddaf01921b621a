<!doctype html>
<title>${site}</title>
<h1>Hello from ${host.name}</h1>
<p>${host.facts.os} ${host.facts.os_version} on ${host.facts.cpus} CPU(s), served by nginx, configured by Blueprint.</p>
