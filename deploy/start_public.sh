#!/bin/sh
# Start one replica of the public instance: read-only pages on the published warehouse copy,
# with Streamlit settings for a public server. Run `python -m etl publish` first.
#   usage: deploy/start_public.sh [PORT] [ADDRESS]        (default 8501 127.0.0.1)
# Other Streamlit settings can come from STREAMLIT_* variables, e.g. STREAMLIT_SERVER_COOKIE_SECRET
# (the same on every replica) or STREAMLIT_SERVER_ALLOWED_HOSTS; the flags below win over them.
set -eu
cd "$(dirname "$0")/.."
export PSM_MODE=public
exec "${PYTHON:-python3}" -m monitor.launcher \
    --server.port "${1:-8501}" \
    --server.address "${2:-127.0.0.1}" \
    --server.headless true \
    --browser.gatherUsageStats false \
    --server.enableAgentApi false \
    --server.enableXsrfProtection true \
    --server.enableCORS true \
    --server.enableStaticServing true \
    --server.runOnSave false \
    --server.fileWatcherType none \
    --global.developmentMode false \
    --client.toolbarMode minimal \
    --client.showErrorDetails none \
    --client.allowedOrigins https://www.cittametropolitana.torino.it \
    --client.allowedOrigins 'https://*.cittametropolitana.torino.it'
