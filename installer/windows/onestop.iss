; Inno Setup script: OneStop for Windows, from the PyInstaller folder dist\onestop\.
;
; NOT YET TRIED ON WINDOWS: written with care from Inno Setup 6's documentation, but
; neither this script nor the Windows build has been run (the project is built and
; tested on Linux). Try it on a spare PC before a council's kiosks.
;
;   1. Build the folder (see installer/build.sh for the Windows commands):
;        pyinstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller installer\pyinstaller\onestop.spec
;   2. Compile this script (Inno Setup 6, iscc on the PATH), from the repository:
;        iscc /DAppVersion=0.1.0 installer\windows\onestop.iss
;      The installer is written to dist\OneStop-0.1.0-setup.exe.
;
; It installs for all users in Program Files, with a Start-menu shortcut per app
; (each runs onestopw.exe, the build without a console window), "OneStop Set-up"
; (the first-run wizard: what this PC is, the site, the database, the printer, the
; voice), and optionally starts one app at sign-in, full screen, started again if it
; stops with an error (keep-running.cmd). Settings live in each user's
; %LOCALAPPDATA%\onestop\settings.toml and are not removed on uninstall.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "OneStop"
#define Exe "onestopw.exe"

[Setup]
AppId={{5B0E4C4A-2C77-4F5E-9D0B-0E5A1C0F5701}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=OneStop
AppComments=Reception and queueing for council One Stop Shops
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=OneStop-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
WizardStyle=modern
UninstallDisplayIcon={app}\onestop.exe

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicons"; Description: "Put the shortcuts on the desktop too"; Flags: unchecked
Name: "autostart"; Description: "Start one app full screen when someone signs in to this PC:"; Flags: unchecked
Name: "autostart\kiosk"; Description: "the check-in kiosk"; Flags: exclusive unchecked
Name: "autostart\survey"; Description: "the exit survey"; Flags: exclusive unchecked
Name: "autostart\reception"; Description: "the reception console"; Flags: exclusive unchecked
Name: "autostart\desk"; Description: "a CSA's desk console"; Flags: exclusive unchecked
Name: "autostart\display"; Description: "the call-forward display"; Flags: exclusive unchecked

[Files]
Source: "..\..\dist\onestop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "keep-running.cmd"; DestDir: "{app}"; Flags: ignoreversion
Source: "..\..\docs\guides\*"; DestDir: "{app}\guides"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\OneStop Kiosk"; Filename: "{app}\{#Exe}"; Parameters: "kiosk"; WorkingDir: "{app}"; Comment: "The check-in kiosk, full screen"
Name: "{group}\OneStop Exit survey"; Filename: "{app}\{#Exe}"; Parameters: "kiosk --mode survey"; WorkingDir: "{app}"; Comment: "The exit survey, full screen"
Name: "{group}\OneStop Reception"; Filename: "{app}\{#Exe}"; Parameters: "reception --windowed"; WorkingDir: "{app}"; Comment: "The reception console"
Name: "{group}\OneStop Desk"; Filename: "{app}\{#Exe}"; Parameters: "desk --windowed"; WorkingDir: "{app}"; Comment: "A CSA's desk console"
Name: "{group}\OneStop Display"; Filename: "{app}\{#Exe}"; Parameters: "display"; WorkingDir: "{app}"; Comment: "The call-forward display, full screen"
Name: "{group}\OneStop Reports"; Filename: "{app}\{#Exe}"; Parameters: "reception --windowed --supervisor"; WorkingDir: "{app}"; Comment: "Reception's Supervisor tab: sign in for the charter reports"
Name: "{group}\OneStop Set-up"; Filename: "{app}\{#Exe}"; Parameters: "setup"; WorkingDir: "{app}"; Comment: "What this PC is, the site, the database, the printer, the voice"
Name: "{group}\OneStop guides"; Filename: "{app}\guides\README.md"
Name: "{group}\Uninstall OneStop"; Filename: "{uninstallexe}"
Name: "{autodesktop}\OneStop Kiosk"; Filename: "{app}\{#Exe}"; Parameters: "kiosk"; WorkingDir: "{app}"; Tasks: desktopicons
Name: "{autodesktop}\OneStop Reception"; Filename: "{app}\{#Exe}"; Parameters: "reception --windowed"; WorkingDir: "{app}"; Tasks: desktopicons
Name: "{autodesktop}\OneStop Desk"; Filename: "{app}\{#Exe}"; Parameters: "desk --windowed"; WorkingDir: "{app}"; Tasks: desktopicons
Name: "{autodesktop}\OneStop Set-up"; Filename: "{app}\{#Exe}"; Parameters: "setup"; WorkingDir: "{app}"; Tasks: desktopicons
; At sign-in (every user of this PC): the chosen app, restarted if it stops with an error.
Name: "{commonstartup}\OneStop Kiosk"; Filename: "{app}\keep-running.cmd"; Parameters: "kiosk"; WorkingDir: "{app}"; Flags: runminimized; Tasks: autostart\kiosk
Name: "{commonstartup}\OneStop Exit survey"; Filename: "{app}\keep-running.cmd"; Parameters: "kiosk --mode survey"; WorkingDir: "{app}"; Flags: runminimized; Tasks: autostart\survey
Name: "{commonstartup}\OneStop Reception"; Filename: "{app}\keep-running.cmd"; Parameters: "reception"; WorkingDir: "{app}"; Flags: runminimized; Tasks: autostart\reception
Name: "{commonstartup}\OneStop Desk"; Filename: "{app}\keep-running.cmd"; Parameters: "desk --on-top"; WorkingDir: "{app}"; Flags: runminimized; Tasks: autostart\desk
Name: "{commonstartup}\OneStop Display"; Filename: "{app}\keep-running.cmd"; Parameters: "display"; WorkingDir: "{app}"; Flags: runminimized; Tasks: autostart\display

[Run]
Filename: "{app}\{#Exe}"; Parameters: "setup"; Description: "Set this PC up now (OneStop Set-up)"; Flags: postinstall nowait skipifsilent
