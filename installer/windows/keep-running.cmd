@echo off
rem OneStop at sign-in: runs one app (keep-running.cmd kiosk, ... display) and starts it
rem again, after 5 seconds, whenever it stops with an error or crashes. A clean exit
rem (a supervisor leaving kiosk mode) ends it; so does exit status 2, a set-up mistake
rem (wrong site, bad settings): run OneStop Set-up. NOT YET TRIED ON WINDOWS.
setlocal
set "HERE=%~dp0"
:again
"%HERE%onestopw.exe" %*
set "STATUS=%ERRORLEVEL%"
if "%STATUS%"=="0" goto :eof
if "%STATUS%"=="2" goto :eof
timeout /t 5 /nobreak >nul
goto again
