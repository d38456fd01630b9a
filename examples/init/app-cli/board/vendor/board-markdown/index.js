// The board's own tiny markdown: **bold** only.
module.exports = (text) => text.replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
