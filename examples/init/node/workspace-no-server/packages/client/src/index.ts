export const fetchNotes = () => fetch('/notes').then((r) => r.json())
