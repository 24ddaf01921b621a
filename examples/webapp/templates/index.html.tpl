<!doctype html>
<title>${site}</title>
<h1>Hello from ${host}</h1>
