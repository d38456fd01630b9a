console.log("volunteers")
