const status = await fetch('/api/health').then((r) => r.json())
document.body.textContent = `API: ${status.status}`
