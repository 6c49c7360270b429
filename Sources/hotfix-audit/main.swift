print("hotfix-audit")
