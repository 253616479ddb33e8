"""Write: the staging folder, the atomic swap into site/, and the guards on where a site may be written."""
