# The SVG icons, embedded in brieflow_ui under ":/icons/<name>.svg".
