<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL">
<context>
    <name>Kiosk</name>
    <message>
        <source>High contrast</source>
        <translation>Wysoki kontrast</translation>
    </message>
    <message>
        <source>Larger text</source>
        <translation>Większy tekst</translation>
    </message>
    <message>
        <source>Read aloud</source>
        <translation>Czytaj na głos</translation>
    </message>
    <message>
        <source>Welcome. Touch what you have come about.</source>
        <translation>Witamy. Dotknij, w jakiej sprawie przychodzisz.</translation>
    </message>
    <message>
        <source>I have an appointment</source>
        <translation>Mam umówioną wizytę</translation>
    </message>
    <message>
        <source>I need help</source>
        <translation>Potrzebuję pomocy</translation>
    </message>
    <message>
        <source>Touch the one that fits best.</source>
        <translation>Dotknij tego, co najlepiej pasuje.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Wstecz</translation>
    </message>
    <message>
        <source>Do you need any of these? Touch all that apply.</source>
        <translation>Czy potrzebujesz czegoś z poniższych? Dotknij wszystkich, które pasują.</translation>
    </message>
    <message>
        <source>Get my ticket</source>
        <translation>Pobierz bilet</translation>
    </message>
    <message>
        <source>Type the booking reference from your letter or text, or scan its code below.</source>
        <translation>Wpisz numer rezerwacji z listu lub SMS-a albo zeskanuj kod poniżej.</translation>
    </message>
    <message>
        <source>I don't have it</source>
        <translation>Nie mam go</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>Zgłoś przybycie</translation>
    </message>
    <message>
        <source>We could not find that booking.</source>
        <translation>Nie znaleźliśmy tej rezerwacji.</translation>
    </message>
    <message>
        <source>Please check the reference, or ask reception: they will help you.</source>
        <translation>Sprawdź numer albo zapytaj w recepcji – pomożemy.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Spróbuj ponownie</translation>
    </message>
    <message>
        <source>Ask reception for help</source>
        <translation>Poproś recepcję o pomoc</translation>
    </message>
    <message>
        <source>Start again</source>
        <translation>Zacznij od nowa</translation>
    </message>
    <message>
        <source>Your number is</source>
        <translation>Twój numer to</translation>
    </message>
    <message>
        <source>Printing your ticket…</source>
        <translation>Drukujemy bilet…</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Gotowe</translation>
    </message>
    <message>
        <source>Help is on its way</source>
        <translation>Pomoc jest w drodze</translation>
    </message>
    <message>
        <source>Someone from reception will come to help you. Please take a seat nearby.</source>
        <translation>Ktoś z recepcji zaraz do Ciebie podejdzie. Usiądź w pobliżu.</translation>
    </message>
    <message>
        <source>Sorry, this office is closed</source>
        <translation>Przepraszamy, biuro jest zamknięte</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>zamknięte</translation>
    </message>
    <message>
        <source>Monday</source>
        <translation>Poniedziałek</translation>
    </message>
    <message>
        <source>Tuesday</source>
        <translation>Wtorek</translation>
    </message>
    <message>
        <source>Wednesday</source>
        <translation>Środa</translation>
    </message>
    <message>
        <source>Thursday</source>
        <translation>Czwartek</translation>
    </message>
    <message>
        <source>Friday</source>
        <translation>Piątek</translation>
    </message>
    <message>
        <source>Saturday</source>
        <translation>Sobota</translation>
    </message>
    <message>
        <source>Sunday</source>
        <translation>Niedziela</translation>
    </message>
    <message>
        <source>Opening hours</source>
        <translation>Godziny otwarcia</translation>
    </message>
    <message>
        <source>Do you need more time?</source>
        <translation>Potrzebujesz więcej czasu?</translation>
    </message>
    <message>
        <source>I need more time</source>
        <translation>Potrzebuję więcej czasu</translation>
    </message>
    <message>
        <source>about</source>
        <translation>około</translation>
    </message>
    <message>
        <source>We are busier than usual:</source>
        <translation>Mamy więcej pracy niż zwykle:</translation>
    </message>
    <message>
        <source>People ahead of you: {n}</source>
        <translation>Osoby przed Tobą: {n}</translation>
    </message>
    <message>
        <source>Estimated wait: about {n} min</source>
        <translation>Szacowany czas oczekiwania: około {n} min</translation>
    </message>
    <message>
        <source>sorry for the wait.</source>
        <translation>przepraszamy za oczekiwanie.</translation>
    </message>
    <message>
        <source>Please take your ticket.</source>
        <translation>Weź swój bilet.</translation>
    </message>
    <message>
        <source>The printer is not working. Please remember your number: {ticket}. Reception knows, and you are in the queue.</source>
        <translation>Drukarka nie działa. Zapamiętaj swój numer: {ticket}. Recepcja wie o tym, a Ty jesteś w kolejce.</translation>
    </message>
    <message>
        <source>The ticket printer is not working: your number is shown on screen.</source>
        <translation>Drukarka biletów nie działa: Twój numer jest wyświetlany na ekranie.</translation>
    </message>
    <message>
        <source>Going back to the start in {n} seconds.</source>
        <translation>Powrót do początku za {n} s.</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>Personel</translation>
    </message>
    <message>
        <source>Supervisor PIN</source>
        <translation>PIN kierownika</translation>
    </message>
    <message>
        <source>I would like to talk in a private room</source>
        <translation>Chcę porozmawiać w osobnym pokoju</translation>
    </message>
    <message>
        <source>I need an interpreter</source>
        <translation>Potrzebuję tłumacza</translation>
    </message>
    <message>
        <source>I use a hearing loop</source>
        <translation>Korzystam z pętli indukcyjnej</translation>
    </message>
    <message>
        <source>I need step-free access</source>
        <translation>Potrzebuję dostępu bez schodów</translation>
    </message>
    <message>
        <source>Council Tax and Business Rates</source>
        <translation>Podatek lokalny i opłaty dla firm</translation>
    </message>
    <message>
        <source>Benefits and money help</source>
        <translation>Świadczenia i pomoc finansowa</translation>
    </message>
    <message>
        <source>Urgent help</source>
        <translation>Pilna pomoc</translation>
    </message>
    <message>
        <source>Parking and badges</source>
        <translation>Parkowanie i karty parkingowe</translation>
    </message>
    <message>
        <source>Housing</source>
        <translation>Mieszkanie</translation>
    </message>
    <message>
        <source>Licences</source>
        <translation>Licencje</translation>
    </message>
    <message>
        <source>Online help</source>
        <translation>Pomoc online</translation>
    </message>
    <message>
        <source>Payments</source>
        <translation>Płatności</translation>
    </message>
    <message>
        <source>Something else</source>
        <translation>Inna sprawa</translation>
    </message>
    <message>
        <source>Council Tax</source>
        <translation>Podatek lokalny (Council Tax)</translation>
    </message>
    <message>
        <source>Council Tax Reduction</source>
        <translation>Obniżka podatku lokalnego</translation>
    </message>
    <message>
        <source>Business Rates</source>
        <translation>Opłaty dla firm (Business Rates)</translation>
    </message>
    <message>
        <source>Housing Benefit</source>
        <translation>Dodatek mieszkaniowy</translation>
    </message>
    <message>
        <source>Discretionary Housing Payments</source>
        <translation>Uznaniowe dopłaty mieszkaniowe</translation>
    </message>
    <message>
        <source>Emergency Limited Assistance Scheme (ELAS)</source>
        <translation>Doraźna pomoc w nagłych wypadkach (ELAS)</translation>
    </message>
    <message>
        <source>Household Support Fund</source>
        <translation>Fundusz wsparcia gospodarstw domowych</translation>
    </message>
    <message>
        <source>Social Care</source>
        <translation>Opieka społeczna</translation>
    </message>
    <message>
        <source>Blue Badges</source>
        <translation>Karty parkingowe dla niepełnosprawnych (Blue Badge)</translation>
    </message>
    <message>
        <source>Parking permits and fines</source>
        <translation>Pozwolenia i mandaty parkingowe</translation>
    </message>
    <message>
        <source>Housing and homelessness</source>
        <translation>Mieszkanie i bezdomność</translation>
    </message>
    <message>
        <source>Taxi Licensing (portal help)</source>
        <translation>Licencje taxi (pomoc z portalem)</translation>
    </message>
    <message>
        <source>My Account and help online</source>
        <translation>My Account i pomoc online</translation>
    </message>
    <message>
        <source>Make a payment</source>
        <translation>Dokonaj płatności</translation>
    </message>
    <message>
        <source>Your number</source>
        <translation>Twój numer</translation>
    </message>
    <message>
        <source>Your appointment: {time}</source>
        <translation>Twoja wizyta: {time}</translation>
    </message>
    <message>
        <source>We are busier than usual: {reason}</source>
        <translation>Mamy więcej pracy niż zwykle: {reason}</translation>
    </message>
    <message>
        <source>We are busier than usual. Sorry for the wait.</source>
        <translation>Mamy więcej pracy niż zwykle. Przepraszamy za oczekiwanie.</translation>
    </message>
    <message>
        <source>Scan to tell us how we did</source>
        <translation>Zeskanuj i oceń naszą obsługę</translation>
    </message>
    <message>
        <source>Back to visitors</source>
        <translation>Powrót do klientów</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Close the office</source>
        <translation>Zamknij biuro</translation>
    </message>
    <message>
        <source>Closed by staff</source>
        <translation>Zamknięte przez personel</translation>
    </message>
    <message>
        <source>Exit the kiosk</source>
        <translation>Zamknij kiosk</translation>
    </message>
    <message>
        <source>Not printed:</source>
        <translation>Nie wydrukowano:</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Open the office</source>
        <translation>Otwórz biuro</translation>
    </message>
    <message>
        <source>Print a test ticket</source>
        <translation>Wydrukuj bilet testowy</translation>
    </message>
    <message>
        <source>Printing a test ticket…</source>
        <translation>Drukowanie biletu testowego…</translation>
    </message>
    <message>
        <source>Staff settings</source>
        <translation>Ustawienia personelu</translation>
    </message>
    <message>
        <source>Test ticket printed.</source>
        <translation>Bilet testowy wydrukowany.</translation>
    </message>
    <message>
        <source>That PIN is not right.</source>
        <translation>Nieprawidłowy PIN.</translation>
    </message>
    <message>
        <source>The PIN cannot be checked while the database is away.</source>
        <translation>Nie można sprawdzić kodu PIN, gdy baza danych jest niedostępna.</translation>
    </message>
    <message>
        <source>This screen goes back to the start in {n} seconds.</source>
        <translation>Za {n} s ekran wróci do początku.</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Try again in {n} minutes.</source>
        <translation>Zbyt wiele błędnych PIN-ów. Spróbuj ponownie za {n} min.</translation>
    </message>
    <message>
        <source>Which language?</source>
        <translation>Jaki język?</translation>
    </message>
    <message>
        <source>Another language</source>
        <translation>Inny język</translation>
    </message>
    <message>
        <source>Exit survey</source>
        <translation>Ankieta przy wyjściu</translation>
    </message>
    <message>
        <source>Four quick questions. Your answers help us improve.</source>
        <translation>Cztery krótkie pytania. Twoje odpowiedzi pomogą nam się poprawić.</translation>
    </message>
    <message>
        <source>How did we do today?</source>
        <translation>Jak nam dziś poszło?</translation>
    </message>
    <message>
        <source>Is there anything else you would like to tell us?</source>
        <translation>Czy chcesz nam jeszcze coś przekazać?</translation>
    </message>
    <message>
        <source>No</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>Optional. Please do not include your name or address.</source>
        <translation>Nieobowiązkowe. Prosimy nie podawać imienia, nazwiska ani adresu.</translation>
    </message>
    <message>
        <source>Question {n} of {total}</source>
        <translation>Pytanie {n} z {total}</translation>
    </message>
    <message>
        <source>Scan or type your ticket number if you have it (optional).</source>
        <translation>Zeskanuj lub wpisz numer biletu, jeśli go masz (nieobowiązkowe).</translation>
    </message>
    <message>
        <source>Send my answers</source>
        <translation>Wyślij odpowiedzi</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Pomiń</translation>
    </message>
    <message>
        <source>Skip this question</source>
        <translation>Pomiń to pytanie</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Rozpocznij</translation>
    </message>
    <message>
        <source>Thank you</source>
        <translation>Dziękujemy</translation>
    </message>
    <message>
        <source>That ticket is not from today: leave it blank to answer.</source>
        <translation>Ten bilet nie jest z dzisiaj: zostaw pole puste, aby odpowiedzieć.</translation>
    </message>
    <message>
        <source>We could not find that ticket. Check it, or leave it blank.</source>
        <translation>Nie znaleźliśmy tego biletu. Sprawdź numer lub zostaw pole puste.</translation>
    </message>
    <message>
        <source>Yes</source>
        <translation>Tak</translation>
    </message>
    <message>
        <source>Your answers have been recorded.</source>
        <translation>Twoje odpowiedzi zostały zapisane.</translation>
    </message>
    <message>
        <source>Very satisfied</source>
        <translation>Bardzo zadowolony(-a)</translation>
    </message>
    <message>
        <source>Fairly satisfied</source>
        <translation>Raczej zadowolony(-a)</translation>
    </message>
    <message>
        <source>Neither satisfied nor dissatisfied</source>
        <translation>Ani zadowolony(-a), ani niezadowolony(-a)</translation>
    </message>
    <message>
        <source>Fairly dissatisfied</source>
        <translation>Raczej niezadowolony(-a)</translation>
    </message>
    <message>
        <source>Very dissatisfied</source>
        <translation>Bardzo niezadowolony(-a)</translation>
    </message>
    <message>
        <source>Was your query fully resolved during your visit today?</source>
        <translation>Czy Twoja sprawa została dziś w pełni załatwiona?</translation>
    </message>
    <message>
        <source>How satisfied were you with the Customer Service Advisor who helped you?</source>
        <translation>Jak bardzo jesteś zadowolony(-a) z doradcy, który Ci pomógł?</translation>
    </message>
    <message>
        <source>How satisfied were you with your whole experience today?</source>
        <translation>Jak bardzo jesteś zadowolony(-a) z całej dzisiejszej wizyty?</translation>
    </message>
    <message>
        <source>Did you feel you were treated fairly?</source>
        <translation>Czy czujesz, że potraktowano Cię sprawiedliwie?</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Spacja</translation>
    </message>
    <message>
        <source>Working offline: your ticket is valid and you will be called.</source>
        <translation>Tryb offline: Twój bilet jest ważny, a Twój numer zostanie wywołany.</translation>
    </message>
    <message>
        <source>Please take a seat: we will call your number.</source>
        <translation>Usiądź, proszę: wywołamy Twój numer.</translation>
    </message>
    <message>
        <source>Please go to the reception desk</source>
        <translation>Podejdź, proszę, do recepcji</translation>
    </message>
    <message>
        <source>The kiosk cannot call reception just now. Staff at the desk will help you.</source>
        <translation>Kiosk nie może teraz wezwać recepcji. Pracownicy recepcji Ci pomogą.</translation>
    </message>
    <message>
        <source>We cannot look up bookings just now. Reception will check you in.</source>
        <translation>Nie możemy teraz sprawdzić rezerwacji. Recepcja zarejestruje Twoje przybycie.</translation>
    </message>
    <message>
        <source>Check-in is not available just now</source>
        <translation>Zgłaszanie przybycia jest teraz niedostępne</translation>
    </message>
    <message>
        <source>Please go to the reception desk: staff there will check you in.</source>
        <translation>Podejdź, proszę, do recepcji: tam zarejestrują Twoje przybycie.</translation>
    </message>
    <message>
        <source>Working offline and the printer is not working: your number is on screen.</source>
        <translation>Tryb offline, a drukarka nie działa: Twój numer jest na ekranie.</translation>
    </message>
    <message>
        <source>Working offline: please check in at the reception desk.</source>
        <translation>Tryb offline: zgłoś, proszę, przybycie w recepcji.</translation>
    </message>
    <message>
        <source>Working offline: your answers are kept and sent later.</source>
        <translation>Tryb offline: Twoje odpowiedzi zostaną zapisane i wysłane później.</translation>
    </message>
    <message>
        <source>Sorry, your answers could not be recorded just now.</source>
        <translation>Przepraszamy, nie udało się teraz zapisać Twoich odpowiedzi.</translation>
    </message>
</context>
</TS>
