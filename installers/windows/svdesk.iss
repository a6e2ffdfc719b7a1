; Inno Setup 6 script: the svdesk installer for Windows 10/11.
;
; Installs the one-folder build (dist\svdesk\, made with SVDESK_ONEDIR=1) for the current user only: no
; administrator rights, no UAC prompt, nothing in Program Files or the registry's machine part. Adds a
; Start-menu shortcut and an uninstaller (Settings > Apps, and the Start menu). The officer's data (the
; database, backups, settings under %LOCALAPPDATA%\svdesk) is never touched by install, upgrade or uninstall.
;
; Build with installers\windows\build.ps1, or by hand from the repository root:
;   ISCC.exe /DAppVersion=0.1.0 installers\windows\svdesk.iss
; Output: dist\svdesk-<version>-setup.exe. Signing: see docs\packaging.md (SignTool below stays commented
; out until a certificate is configured on the build machine).

#ifndef AppVersion
  #error Pass the version: ISCC /DAppVersion=X.Y.Z (build.ps1 reads it from svdesk.__version__)
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\svdesk"
#endif
#define AppName "Social Value Desk"
#define AppExe "svdesk.exe"

[Setup]
; AppId identifies svdesk across upgrades: never change it.
AppId={{6A0C4E8B-2F5D-4B7A-9C1E-5D3B8F2A7C41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=svdesk
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per-user install: {autopf} is %LOCALAPPDATA%\Programs when running without admin rights.
PrivilegesRequired=lowest
DefaultDirName={autopf}\svdesk
DisableProgramGroupPage=yes
DefaultGroupName={#AppName}
UninstallDisplayName={#AppName}
UninstallDisplayIcon={app}\{#AppExe}
; Explorer refreshes its file types after install and uninstall ([Registry] below).
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
OutputDir=..\..\dist
OutputBaseFilename=svdesk-{#AppVersion}-setup
; Upgrades close a running svdesk first (its database lock is released cleanly on close).
CloseApplications=yes
RestartApplications=no
#ifexist "..\..\resources\icons\svdesk.ico"
SetupIconFile=..\..\resources\icons\svdesk.ico
#endif
; SignTool=svdesksign $f
; SignedUninstaller=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder build. An upgrade replaces the program files; the data lives elsewhere.
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; Files of an older version that the new one no longer ships (e.g. a dropped Qt plugin) must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Comment: "Tenders, negotiation, bid scoring and award papers"
Name: "{autoprograms}\Uninstall {#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; Tender files, for the current user only (HKA is HKCU\Software\Classes in a per-user install; nothing machine-wide).
; Windows picks a file's type by its LAST extension, so "NET-2026-01.svdesk.json" is a .json file to Explorer:
; svdesk adds itself to ".json > Open with" (OpenWithProgids) instead of taking .json over from the officer's
; editor. The verb imports the file into the officer's database (svdesk import FILE).
Root: HKA; Subkey: "Software\Classes\svdesk.TenderFile"; ValueType: string; ValueName: ""; ValueData: "svdesk tender file"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\svdesk.TenderFile"; ValueType: string; ValueName: "FriendlyTypeName"; ValueData: "svdesk tender file"
Root: HKA; Subkey: "Software\Classes\svdesk.TenderFile\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\svdesk.TenderFile\shell\open"; ValueType: string; ValueName: ""; ValueData: "Import into svdesk"
Root: HKA; Subkey: "Software\Classes\svdesk.TenderFile\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" import ""%1"""
Root: HKA; Subkey: "Software\Classes\.json\OpenWithProgids"; ValueType: string; ValueName: "svdesk.TenderFile"; ValueData: ""; Flags: uninsdeletevalue
; Evaluator packs (.svpack, svdesk's own extension, so svdesk may own it): a double-click opens the pack in the
; marking window (svdesk.exe KT.svpack), no database needed. Removed again on uninstall.
Root: HKA; Subkey: "Software\Classes\.svpack"; ValueType: string; ValueName: ""; ValueData: "svdesk.EvaluatorPack"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\svdesk.EvaluatorPack"; ValueType: string; ValueName: ""; ValueData: "svdesk evaluator pack"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\svdesk.EvaluatorPack\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\svdesk.EvaluatorPack\shell\open"; ValueType: string; ValueName: ""; ValueData: "Mark in svdesk"
Root: HKA; Subkey: "Software\Classes\svdesk.EvaluatorPack\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
; "Open with" also lists the program itself by its executable's name.
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".json"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" import ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only what the program folder itself may hold; the officer's data folder is left alone on purpose.
Type: dirifempty; Name: "{app}"
