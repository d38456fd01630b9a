package main

import (
	"os"

	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	r.GET("/api/health", func(c *gin.Context) { c.String(200, "ok") })
	r.Run(":" + os.Getenv("PORT"))
}
