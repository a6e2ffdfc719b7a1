<#
.SYNOPSIS
  Build svdesk for Windows: the one-file svdesk.exe, the one-folder build, and the per-user installer.

.DESCRIPTION
  Run from anywhere on a Windows 10/11 machine with Python 3.11 (x64) and Inno Setup 6:

      powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1 [-SkipInstaller] [-SkipSmoke] [-Python PATH]

  1. a clean build venv .venv-build\ with only requirements\runtime.txt and the pinned PyInstaller
     (recreated only when those pins change, as installers/build.sh does on Linux);
  2. dist\svdesk.exe        one file (installers\svdesk.spec), smoke-tested (installers\smoke_test.py);
  3. dist\svdesk\           one folder (SVDESK_ONEDIR=1): faster start, fewer antivirus false positives;
                            smoke-tested too;
  4. dist\svdesk-<version>-setup.exe   Inno Setup installer of the folder (installers\windows\svdesk.iss).

  The version-info resource of svdesk.exe is generated from svdesk.__version__ by the spec
  (installers\windows\version_info.py). Signing is a release step: docs\packaging.md.
  Not run in this project's CI (Linux); .github\workflows\build.yml runs it on a hosted Windows runner.
#>
param(
    [switch]$SkipInstaller,
    [switch]$SkipSmoke,
    # the Python 3.11 to build with; default: "py -3.11" when the launcher is there, else "python"
    [string]$Python = ""
)
$ErrorActionPreference = "Stop"
$PyInstallerPin = "pyinstaller==6.22.3"
$Root = (Resolve-Path (Join-Path $PSScriptRoot "..\..")).Path
Set-Location $Root

function Say($text) { Write-Host "build: $text" }
function Run($exe, [string[]]$arguments) {
    & $exe @arguments
    if ($LASTEXITCODE -ne 0) { throw "failed ($LASTEXITCODE): $exe $($arguments -join ' ')" }
}

# --- the clean build venv -------------------------------------------------------------------------------------
if ($Python) { $PythonArgs = @() }
elseif (Get-Command py -ErrorAction SilentlyContinue) { $Python = "py"; $PythonArgs = @("-3.11") }
else { $Python = "python"; $PythonArgs = @() }
$Venv = Join-Path $Root ".venv-build"
$Bpy = Join-Path $Venv "Scripts\python.exe"
$pyVersion = & $Python @PythonArgs -c "import sys; print(sys.version)"
$stampText = (Get-Content requirements\runtime.txt -Raw) + $PyInstallerPin + $pyVersion
$sha = [System.Security.Cryptography.SHA256]::Create()
$want = [BitConverter]::ToString($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($stampText))).Replace("-", "")
$stamp = Join-Path $Venv ".svdesk-build-stamp"
if (-not (Test-Path $stamp) -or (Get-Content $stamp -Raw).Trim() -ne $want) {
    Say "creating a clean build venv in .venv-build (runtime requirements + $PyInstallerPin only)"
    if (Test-Path $Venv) { Remove-Item -Recurse -Force $Venv }
    Run $Python ($PythonArgs + @("-m", "venv", $Venv))
    Run $Bpy @("-m", "pip", "install", "-q", "--disable-pip-version-check", "--upgrade", "pip")
    Run $Bpy @("-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", "requirements\runtime.txt", $PyInstallerPin)
    Set-Content -Path $stamp -Value $want -NoNewline
}
$version = (& $Bpy installers\windows\version_info.py --print-version).Trim()
Say "svdesk $version"
Run $Bpy @("installers\windows\version_info.py", "--check")

# --- one file, then one folder -----------------------------------------------------------------------------------
function Build($onedir, $work) {
    $env:SVDESK_ONEDIR = $onedir
    Say "PyInstaller (SVDESK_ONEDIR=$onedir)"
    Run $Bpy @("-m", "PyInstaller", "--noconfirm", "--distpath", "dist", "--workpath", $work, "installers\svdesk.spec")
}
function Smoke($exe) {
    if ($SkipSmoke) { return }
    Run $Bpy @("installers\smoke_test.py", $exe, "--source-python", $Bpy, "--source-root", $Root)
}

Build "0" "build\pyinstaller"
Say ("dist\svdesk.exe: {0:N1} MB" -f ((Get-Item dist\svdesk.exe).Length / 1MB))
Smoke "dist\svdesk.exe"

Build "1" "build\pyinstaller-onedir"
$folderMB = ((Get-ChildItem dist\svdesk -Recurse | Measure-Object Length -Sum).Sum / 1MB)
Say ("dist\svdesk\: {0:N1} MB" -f $folderMB)
Smoke "dist\svdesk\svdesk.exe"
Remove-Item Env:\SVDESK_ONEDIR

# --- the installer -------------------------------------------------------------------------------------------------
if (-not $SkipInstaller) {
    $iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
    if (-not $iscc) {
        foreach ($dir in @("${env:ProgramFiles(x86)}\Inno Setup 6", "$env:ProgramFiles\Inno Setup 6", "$env:LOCALAPPDATA\Programs\Inno Setup 6")) {
            if (Test-Path "$dir\ISCC.exe") { $iscc = "$dir\ISCC.exe"; break }
        }
    }
    if (-not $iscc) { throw "Inno Setup 6 not found (winget install JRSoftware.InnoSetup, or choco install innosetup)" }
    Run $iscc @("/Q", "/DAppVersion=$version", "installers\windows\svdesk.iss")
    Say "dist\svdesk-$version-setup.exe"
}
