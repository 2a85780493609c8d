"""Who people are and what they may do: access rules, sign-in, sessions, devices, audit."""
